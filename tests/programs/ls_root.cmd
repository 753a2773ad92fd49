# Listing of the root directory names only: /tmp, /proc and /dev are
# synthetic inside moat, but the names must be the same.
run: $RUN ls /
