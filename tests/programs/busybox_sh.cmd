# busybox sh and applets.
run: $RUN /bin/busybox sh -c 'echo $((6 * 7)); busybox seq 3 | busybox tac; busybox printf "%05d\n" 42; busybox basename /a/b/c.txt .txt; busybox wc -l < /etc/passwd > /dev/null && echo ok'
