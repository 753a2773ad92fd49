# The gofer runs under seccomp filter mode and no_new_privs, keeping only
# the four capabilities it needs to serve files as the sandbox's root:
# CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER and CAP_FSETID (0x1b).
. tests/lib/common.sh
require_moat_runs
check_confined moat-gofer 000000000000001b
finish
