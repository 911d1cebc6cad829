# user/build.mk - user programs (musl-gcc -static). OWNED BY THE USER PART.
# USER_INSTALLED lists the files installed into $(BUILD)/root.
USER_INSTALLED :=
