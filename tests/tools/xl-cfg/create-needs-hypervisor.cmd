create pvh-minimal.cfg
