# A #!/usr/bin/env python3 script.
run: $RUN tests/programs/data/script.py x
