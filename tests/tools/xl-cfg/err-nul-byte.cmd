create -n -q /dev/stdin < <(printf 'name = "a\0b"\n\0 = 1\n')
