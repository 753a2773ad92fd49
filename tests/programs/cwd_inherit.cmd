# The working directory is inherited.
run: cd /usr/share && $RUN pwd && $RUN ls -d doc
