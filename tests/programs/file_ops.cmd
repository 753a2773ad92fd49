# Common file operations in a scratch directory under /tmp.
run: $RUN sh -c 'd=$(mktemp -d) && cd "$d" && mkdir -p a/b && touch a/f && echo hi > a/b/g && cp -r a c && mv c d && ln -s d/b/g link && chmod 600 d/f && find . | sort && grep -r hi . | sort && ls -l d/f | cut -c1-10 && cat link && rm -r a d link && ls -A && cd / && rmdir "$d" && echo done'
