# bash arrays, [[ ]], process substitution and PIPESTATUS.
run: $RUN bash -c 'a=(x y z); echo "${#a[@]} ${a[1]}"; [[ abc == a* ]] && echo match; diff <(echo a) <(echo a) && echo same; false | true; echo "${PIPESTATUS[@]}"; declare -A m=([k]=v); echo "${m[k]}"; set -o pipefail; false | true; echo "pipefail $?"'
