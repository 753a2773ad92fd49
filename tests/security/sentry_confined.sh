# The sentry runs under seccomp filter mode, no_new_privs and with no
# effective capabilities.
. tests/lib/common.sh
require_moat_runs
check_confined moat-sentry
finish
