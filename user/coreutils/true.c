/*
 * user/coreutils/true.c - true: do nothing, successfully (exit status 0).
 * Arguments are ignored. false.c builds the same file with RAYOS_FALSE.
 */
int main(void)
{
#ifdef RAYOS_FALSE
	return 1;
#else
	return 0;
#endif
}
