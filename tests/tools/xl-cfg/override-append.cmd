create -n -q pvh-full.cfg 'extra+=" single"' on_crash=\"preserve\"
