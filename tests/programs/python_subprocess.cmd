# python3 subprocess, threads and multiprocessing pipes.
run: $RUN /usr/bin/python3 tests/programs/data/procs.py
