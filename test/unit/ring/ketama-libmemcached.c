/*
 * Prints, for each key line on stdin, the server index libmemcached's weighted ketama gives it
 * (memcached_generate_hash with MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED). Used once to write
 * ketama-libmemcached.vectors.ts; regenerate with:
 *   apt-get install libmemcached-dev && gcc -o /tmp/ketama-gen ketama-libmemcached.c -lmemcached
 *   node ketama-libmemcached.gen.js /tmp/ketama-gen
 * Arguments: HOST PORT WEIGHT [HOST PORT WEIGHT ...]
 */
#include <libmemcached-1.0/memcached.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* Usage: gen HOST PORT WEIGHT [HOST PORT WEIGHT ...] < keys ; prints server index per key line. */
int main(int argc, char **argv) {
  memcached_st *m = memcached_create(NULL);
  memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1);
  for (int i = 1; i + 2 < argc; i += 3) {
    memcached_server_add_with_weight(m, argv[i], (in_port_t)atoi(argv[i + 1]), (uint32_t)atoi(argv[i + 2]));
  }
  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n') line[--n] = 0;
    printf("%u\n", memcached_generate_hash(m, line, n));
  }
  memcached_free(m);
  return 0;
}
