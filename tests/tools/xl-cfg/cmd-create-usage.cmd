create -n a.cfg b.cfg
