# User and group IDs of the guest.
run: $RUN id
