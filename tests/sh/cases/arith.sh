#### a_basic
echo $((1+2)) $((7-10)) $((6*7)) $((7/2)) $((7%3)) $((-7/2))
#### a_precedence
echo $((1+2*3)) $(((1+2)*3)) $((2*3+4*5)) $((10-2-3))
#### a_vars
x=5; y=3; echo $((x*y)) $(($x+$y)) $((x-y*2))
#### a_unset_var
unset z; echo $((z+1))
#### a_assign
x=1; echo $((x+=4)) $x; echo $((y=7)) $y
#### a_ops_assign
x=10; : $((x-=3)) $((x*=2)) $((x/=7)) ; echo $x; x=5; : $((x<<=2)); echo $x
#### a_compare
echo $((1<2)) $((2<1)) $((2<=2)) $((3>=4)) $((5==5)) $((5!=5))
#### a_logic
echo $((1&&0)) $((1||0)) $((!0)) $((!5)) $((0||0))
#### a_bits
echo $((5&3)) $((5|3)) $((5^3)) $((~0)) $((1<<4)) $((256>>2))
#### a_ternary
x=3; echo $((x>2 ? 10 : 20)) $((x<2 ? 10 : 20))
#### a_hex_octal
echo $((0x10)) $((010)) $((0xff+1))
#### a_nested_parens
echo $(( (2+3) * (4-(1+1)) ))
#### a_unary
echo $((-3)) $((+3)) $((- -3)) $((-(-2)))
#### a_in_string
n=4; echo "n+1=$((n+1))"
#### a_div_zero
echo $((1/0)); echo after
#### a_loop_counter
i=0; s=0; while [ $i -lt 100 ]; do s=$((s+i)); i=$((i+1)); done; echo $s
#### a_short_circuit
x=0; : $((0 && (x=1))); : $((1 || (x=2))); echo $x
#### a_negative_mod
echo $((-7%3)) $((7%-3))
#### a_spaces
echo $((   1   +   2   ))
#### a_var_with_spaces_value
x=' 3 '; echo $((x+1))
#### a_large
echo $((2147483647+1)) $((1<<40))
#### a_comma_nested_subst
echo $(( $(echo 3) * 2 ))
#### a_ternary_nested
echo $((1 ? 2 ? 3 : 4 : 5))
