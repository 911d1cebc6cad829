# tests/build.mk - host unit tests (cmocka) and QEMU integration tests.
unit-test:
integration-test:
.PHONY: unit-test integration-test
