create -n pvh-minimal.cfg memory=512 'extra="console=hvc0 quiet"' 'vcpus=2; maxvcpus=4' 'name="from-cmdline"'
