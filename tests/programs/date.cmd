# date: only the year is compared.
run: $RUN date +%Y
