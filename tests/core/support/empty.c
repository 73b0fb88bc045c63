/* Keeps the test-support library non-empty. */
int pw_test_support_anchor;
