create -n does-not-exist.cfg
