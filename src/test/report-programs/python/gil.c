#include <unistd.h>
void work_ms(int ms) { usleep(ms * 1000); }
