# 32 processes and their sentry threads at once: malloc in the sentry must
# not need files the confined sentry may not open.
run: $RUN bash -c 'for i in $(seq 32); do sleep 0.2 & done; wait; echo done'
