/*
 * mpi_bench.c: the C baseline for MpiBench (the same measurements through the Java binding).
 * Built by the Maven profile "mpi-native" into target/native/mpi_bench. Run on 2 ranks:
 *   mpirun -n 2 --bind-to none target/native/mpi_bench [pingpong-iterations] [bcast-iterations]
 * Prints on rank 0, one line each:
 *   mpibench impl=c op=pingpong bytes=1 iters=N min_us=.. median_us=..
 *   mpibench impl=c op=bcast bytes=8388608 iters=N min_ms=.. median_ms=..
 * Every ping-pong round trip is timed separately; the reported figure is the one-way latency
 * (round trip / 2), the usual definition. Each bcast is timed between two barriers on rank 0.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    int provided, rank, size;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int pp = argc > 1 ? atoi(argv[1]) : 100000;
    int bc = argc > 2 ? atoi(argv[2]) : 200;
    if (size < 2) {
        if (rank == 0) fprintf(stderr, "mpi_bench needs 2 ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    const int warm = pp / 10 + 10;
    double *t = malloc(sizeof(double) * (size_t)(pp > bc ? pp : bc));
    char b = 0;
    for (int i = -warm; i < pp; i++) {
        double t0 = MPI_Wtime();
        if (rank == 0) {
            MPI_Send(&b, 1, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
            MPI_Recv(&b, 1, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == 1) {
            MPI_Recv(&b, 1, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(&b, 1, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
        }
        if (i >= 0) t[i] = (MPI_Wtime() - t0) / 2 * 1e6;
    }
    if (rank == 0) {
        qsort(t, (size_t)pp, sizeof(double), cmp);
        printf("mpibench impl=c op=pingpong bytes=1 iters=%d min_us=%.3f median_us=%.3f\n", pp,
               t[0], t[pp / 2]);
        fflush(stdout);
    }
    const int n = 8 << 20;
    char *buf = malloc((size_t)n);
    memset(buf, rank == 0 ? 7 : 0, (size_t)n);
    for (int i = -5; i < bc; i++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        MPI_Bcast(buf, n, MPI_BYTE, 0, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        if (i >= 0) t[i] = (MPI_Wtime() - t0) * 1e3;
    }
    if (rank != 0 && (buf[0] != 7 || buf[n - 1] != 7)) {
        fprintf(stderr, "mpi_bench: bcast delivered wrong data\n");
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    if (rank == 0) {
        qsort(t, (size_t)bc, sizeof(double), cmp);
        printf("mpibench impl=c op=bcast bytes=%d iters=%d min_ms=%.4f median_ms=%.4f\n", n, bc,
               t[0], t[bc / 2]);
        fflush(stdout);
    }
    free(buf);
    free(t);
    MPI_Finalize();
    return 0;
}
