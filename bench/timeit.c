/* timeit: run two commands alternately (A B A B ...) and compare their wall
 * times.  Part of crosshim's benchmark (bench/run.sh); plain C, no
 * dependencies, so that the timer itself adds as little as possible.
 *
 *   timeit [-n PAIRS] [-w WARMUP] [-t TITLE] [-a LABEL_A] [-b LABEL_B]
 *          [-r RAW.csv] [-s] [-c] [-e NAME=VALUE]... -- COMMAND_A... ::: COMMAND_B...
 *
 * Each run is one posix_spawn + wait4 of the command (no shell), timed with
 * clock_gettime(CLOCK_MONOTONIC) around both.  The children's stdout goes to
 * /dev/null unless -s is given; stderr is inherited.  A command that exits
 * non-zero or dies on a signal stops the measurement (exit 1): a failing
 * command would be measured as a fast one.
 *
 * Printed: per command the median, p10, p90 and minimum wall time and the
 * median CPU time (user+sys from wait4); then the median of the paired
 * differences B_i - A_i with a distribution-free 95 % confidence interval,
 * and the ratio of the medians.  The last line is machine readable:
 *
 *   RESULT<TAB>title<TAB>pairs<TAB>medA<TAB>p10A<TAB>p90A<TAB>medB<TAB>p10B<TAB>p90B
 *         <TAB>diff<TAB>diff_lo<TAB>diff_hi<TAB>ratio<TAB>cpuA<TAB>cpuB<TAB>cpu_diff
 *
 * (times in microseconds, ratio = medB / medA, cpu_diff = median of the paired
 * CPU-time differences).  CPU time counts the command and the descendants it
 * waited for, so it is less disturbed than wall time by other load on the
 * machine, but it misses time spent waiting (exec, page cache, I/O).
 *
 * -e NAME=VALUE sets a variable in command A's environment only (the same
 * program with and without a setting, no extra exec in between).
 *
 * -c (counterbalance) runs the pairs as A B, B A, A B, ... instead of
 * A B, A B, ...; either way every pair is measured back to back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void usage(FILE *f) {
  fputs("usage: timeit [-n PAIRS] [-w WARMUP] [-t TITLE] [-a LABEL_A] [-b LABEL_B]\n"
        "              [-r RAW.csv] [-s] [-c] [-e NAME=VALUE]... -- COMMAND_A... ::: COMMAND_B...\n"
        "Runs A and B alternately PAIRS times (after WARMUP untimed pairs) and prints\n"
        "medians, p10/p90, the median paired difference B-A and the ratio of medians.\n"
        "  -s  keep the commands' stdout (default: /dev/null)\n"
        "  -c  counterbalance: A B, B A, A B, ... (default: A B, A B, ...)\n"
        "  -e NAME=VALUE  set NAME in command A's environment only\n",
        f);
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int keep_stdout = 0;

/* One run of argv; returns wall microseconds, *cpu gets user+sys microseconds. */
static double run_once(char **argv, char **envp, double *cpu) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!keep_stdout)
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  double t0 = now_us();
  int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
  if (rc != 0) {
    fprintf(stderr, "timeit: cannot run %s: %s\n", argv[0], strerror(rc));
    exit(1);
  }
  int status;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      perror("timeit: wait4");
      exit(1);
    }
  }
  double t1 = now_us();
  posix_spawn_file_actions_destroy(&fa);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "timeit: %s failed (%s %d); not timing a failing command\n", argv[0],
            WIFEXITED(status) ? "exit status" : "signal",
            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    exit(1);
  }
  *cpu = ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 +
         ru.ru_stime.tv_usec;
  return t1 - t0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Quantile q of sorted v[0..n) with linear interpolation. */
static double quantile(const double *v, size_t n, double q) {
  double pos = q * (double)(n - 1);
  size_t i = (size_t)pos;
  if (i + 1 >= n)
    return v[n - 1];
  return v[i] + (pos - (double)i) * (v[i + 1] - v[i]);
}

static double *sorted_copy(const double *v, size_t n) {
  double *s = malloc(n * sizeof *s);
  if (!s) {
    perror("timeit");
    exit(1);
  }
  memcpy(s, v, n * sizeof *s);
  qsort(s, n, sizeof *s, cmp_double);
  return s;
}

/* Resolve a command name like execvp would, so that posix_spawn gets a path. */
static char *resolve(const char *name) {
  if (strchr(name, '/'))
    return strdup(name);
  const char *path = getenv("PATH");
  if (!path)
    path = "/usr/bin:/bin";
  char buf[4096];
  for (const char *p = path; *p;) {
    const char *end = strchr(p, ':');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    snprintf(buf, sizeof buf, "%.*s/%s", (int)len, len ? p : ".", name);
    if (access(buf, X_OK) == 0)
      return strdup(buf);
    if (!end)
      break;
    p = end + 1;
  }
  fprintf(stderr, "timeit: %s: not found on PATH\n", name);
  exit(1);
}

int main(int argc, char **argv) {
  long pairs = 100, warmup = -1;
  const char *title = "comparison", *label_a = "A", *label_b = "B", *raw = NULL;
  int counterbalance = 0;
  int opt;
  /* Command A's environment: ours with the -e settings replacing or added. */
  size_t nenv = 0;
  while (environ[nenv])
    ++nenv;
  char **env_a = calloc(nenv + (size_t)argc + 1, sizeof *env_a);
  if (!env_a) {
    perror("timeit");
    return 1;
  }
  memcpy(env_a, environ, nenv * sizeof *env_a);
  while ((opt = getopt(argc, argv, "+n:w:t:a:b:r:sche:")) != -1) {
    switch (opt) {
    case 'n': pairs = strtol(optarg, NULL, 10); break;
    case 'w': warmup = strtol(optarg, NULL, 10); break;
    case 't': title = optarg; break;
    case 'a': label_a = optarg; break;
    case 'b': label_b = optarg; break;
    case 'r': raw = optarg; break;
    case 's': keep_stdout = 1; break;
    case 'c': counterbalance = 1; break;
    case 'e': {
      const char *eq = strchr(optarg, '=');
      if (!eq || eq == optarg) {
        fprintf(stderr, "timeit: -e wants NAME=VALUE, not '%s'\n", optarg);
        return 2;
      }
      size_t len = (size_t)(eq - optarg) + 1, i = 0;
      while (env_a[i] && strncmp(env_a[i], optarg, len) != 0)
        ++i;
      if (!env_a[i])
        ++nenv;
      env_a[i] = optarg;
      break;
    }
    case 'h': usage(stdout); return 0;
    default: usage(stderr); return 2;
    }
  }
  char **cmd_a = argv + optind, **cmd_b = NULL;
  for (char **p = cmd_a; *p; ++p) {
    if (strcmp(*p, ":::") == 0) {
      *p = NULL;
      cmd_b = p + 1;
      break;
    }
  }
  if (pairs < 3 || !cmd_b || !cmd_a[0] || !cmd_b[0]) {
    usage(stderr);
    return 2;
  }
  if (warmup < 0)
    warmup = pairs / 20 < 2 ? 2 : pairs / 20;
  cmd_a[0] = resolve(cmd_a[0]);
  cmd_b[0] = resolve(cmd_b[0]);

  size_t n = (size_t)pairs;
  double *wa = malloc(n * sizeof *wa), *wb = malloc(n * sizeof *wb);
  double *ca = malloc(n * sizeof *ca), *cb = malloc(n * sizeof *cb);
  double *d = malloc(n * sizeof *d), *dc = malloc(n * sizeof *dc);
  if (!wa || !wb || !ca || !cb || !d || !dc) {
    perror("timeit");
    return 1;
  }
  double cpu;
  for (long i = 0; i < warmup; ++i) {
    run_once(cmd_a, env_a, &cpu);
    run_once(cmd_b, environ, &cpu);
  }
  for (size_t i = 0; i < n; ++i) {
    if (counterbalance && (i & 1)) {
      wb[i] = run_once(cmd_b, environ, &cb[i]);
      wa[i] = run_once(cmd_a, env_a, &ca[i]);
    } else {
      wa[i] = run_once(cmd_a, env_a, &ca[i]);
      wb[i] = run_once(cmd_b, environ, &cb[i]);
    }
    d[i] = wb[i] - wa[i];
    dc[i] = cb[i] - ca[i];
  }

  if (raw) {
    FILE *f = fopen(raw, "w");
    if (!f) {
      perror(raw);
      return 1;
    }
    fprintf(f, "pair,wall_a_us,wall_b_us,cpu_a_us,cpu_b_us\n");
    for (size_t i = 0; i < n; ++i)
      fprintf(f, "%zu,%.3f,%.3f,%.0f,%.0f\n", i, wa[i], wb[i], ca[i], cb[i]);
    fclose(f);
  }

  double *sa = sorted_copy(wa, n), *sb = sorted_copy(wb, n), *sd = sorted_copy(d, n);
  double *sca = sorted_copy(ca, n), *scb = sorted_copy(cb, n), *sdc = sorted_copy(dc, n);
  double med_a = quantile(sa, n, 0.5), med_b = quantile(sb, n, 0.5);
  double med_d = quantile(sd, n, 0.5);
  /* Distribution-free 95 % interval for the median: order statistics at
   * n/2 -+ 1.96 sqrt(n)/2 (normal approximation of the binomial). */
  double half = 1.96 * sqrt((double)n) / 2.0;
  long lo = (long)floor((double)n / 2.0 - half), hi = (long)ceil((double)n / 2.0 + half) - 1;
  if (lo < 0)
    lo = 0;
  if (hi > (long)n - 1)
    hi = (long)n - 1;
  double cpu_a = quantile(sca, n, 0.5), cpu_b = quantile(scb, n, 0.5);
  double cpu_d = quantile(sdc, n, 0.5);

  printf("%s: %zu pairs (%s order, %ld warm-up pairs)\n", title, n,
         counterbalance ? "AB BA" : "ABAB", warmup);
  printf("  %-10s median %10.1f us  p10 %10.1f  p90 %10.1f  min %10.1f  cpu %9.0f us\n", label_a,
         med_a, quantile(sa, n, 0.1), quantile(sa, n, 0.9), sa[0], cpu_a);
  printf("  %-10s median %10.1f us  p10 %10.1f  p90 %10.1f  min %10.1f  cpu %9.0f us\n", label_b,
         med_b, quantile(sb, n, 0.1), quantile(sb, n, 0.9), sb[0], cpu_b);
  printf("  %s - %s: median of paired differences %+.1f us (95%% CI %+.1f .. %+.1f); "
         "ratio of medians %.3f\n",
         label_b, label_a, med_d, sd[lo], sd[hi], med_b / med_a);
  printf("  %s - %s: median of paired CPU-time differences %+.0f us\n", label_b, label_a, cpu_d);
  printf("RESULT\t%s\t%zu\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.4f\t%.0f\t%.0f\t%.0f\n",
         title, n, med_a, quantile(sa, n, 0.1), quantile(sa, n, 0.9), med_b,
         quantile(sb, n, 0.1), quantile(sb, n, 0.9), med_d, sd[lo], sd[hi], med_b / med_a, cpu_a,
         cpu_b, cpu_d);
  return 0;
}
