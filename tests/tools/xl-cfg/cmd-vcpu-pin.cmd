vcpu-pin guest1 all 0
