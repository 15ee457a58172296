create -n -f pvh-minimal.cfg vcpus=3
