// The smallest useful guest: a statically linked program that exits at
// once.  Running it end to end measures the fixed cost of a sandbox,
// without the dynamic loader's opens and mmaps.  bench/run links it with
// -static.
int main(void)
{
	return 0;
}
