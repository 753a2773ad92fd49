# A python3 script that writes and reads files with json, hashlib,
# os.walk and tempfile.
run: $RUN /usr/bin/python3 tests/programs/data/files.py
