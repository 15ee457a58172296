create -n pvh-minimal.cfg memory=1024 memory=abc
