# xargs spawning several processes.
run: $RUN sh -c 'printf "%s\n" a b c d e | xargs -n 2 echo; printf "x\0y\0" | xargs -0 -I{} sh -c "echo item {}"'
