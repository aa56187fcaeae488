#include <cstdio>
int main() { std::puts("quantscope"); return 0; }
