# 10,000 iterations of shell arithmetic and test, no process started.
i=0 s=0
while [ $i -lt 10000 ]; do
	s=$((s + i % 7))
	if test $((i % 3)) -eq 0; then
		s=$((s + 1))
	fi
	i=$((i + 1))
done
echo "loop sum $s"
