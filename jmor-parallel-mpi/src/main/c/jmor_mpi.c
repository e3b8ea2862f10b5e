/*
 * jmor_mpi.c: the JNI shim behind org.jmor.parallel.mpi.jni.Mpi (one communicator, MPI_COMM_WORLD).
 *
 * Built by the Maven profile "mpi-native" with
 *   mpicc -O2 -shared -fPIC -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -Itarget/native/include
 * into target/classes/org/jmor/parallel/mpi/native/linux-x86_64/libjmormpi.so; the header
 * org_jmor_parallel_mpi_jni_Mpi.h is written by javac -h, so the signatures below are checked.
 *
 * Rules kept here (see the Javadoc of Mpi):
 *  - MPI_ERRORS_RETURN on MPI_COMM_WORLD; a failed call throws MpiException(message, errorClass).
 *  - By default no JNI critical region is held while this rank waits to receive: receives into heap
 *    arrays go through a per-thread native scratch buffer, then Set<Type>ArrayRegion. Pure sends
 *    pin the array with GetPrimitiveArrayCritical (no JNI call happens between Get and Release).
 *    The *Pinned receives are the exception, for messages known to be on their way (see Mpi).
 *  - No MPI constant is hard-coded in Java: nConstants hands them over.
 */
#include <jni.h>
#include <mpi.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org_jmor_parallel_mpi_jni_Mpi.h"

static jclass exception_class;      /* org.jmor.parallel.mpi.MpiException (global ref) */
static jmethodID exception_init;    /* MpiException(String, int) */
static pthread_key_t scratch_key;

/* Scratch buffers up to this size stay cached per thread; larger ones are freed after use. */
#define SCRATCH_KEEP ((size_t)64 << 20)

typedef struct {
    void *p;
    size_t cap;
} scratch_t;

static void scratch_free(void *v) {
    scratch_t *s = (scratch_t *)v;
    if (s != NULL) {
        free(s->p);
        free(s);
    }
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    JNIEnv *env;
    (void)reserved;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    jclass c = (*env)->FindClass(env, "org/jmor/parallel/mpi/MpiException");
    if (c == NULL) return JNI_ERR;
    exception_class = (jclass)(*env)->NewGlobalRef(env, c);
    exception_init = (*env)->GetMethodID(env, c, "<init>", "(Ljava/lang/String;I)V");
    if (exception_class == NULL || exception_init == NULL) return JNI_ERR;
    if (pthread_key_create(&scratch_key, scratch_free) != 0) return JNI_ERR;
    return JNI_VERSION_1_8;
}

static void throw_message(JNIEnv *env, const char *message, int error_class) {
    if ((*env)->ExceptionCheck(env)) return;
    jstring s = (*env)->NewStringUTF(env, message);
    if (s == NULL) return; /* OutOfMemoryError pending */
    jobject e = (*env)->NewObject(env, exception_class, exception_init, s, (jint)error_class);
    if (e != NULL) (*env)->Throw(env, (jthrowable)e);
}

/* Throws MpiException for rc != MPI_SUCCESS; returns 1 if it threw. */
static int check(JNIEnv *env, int rc, const char *call) {
    if (rc == MPI_SUCCESS) return 0;
    char text[MPI_MAX_ERROR_STRING];
    int len = 0, cls = rc;
    if (MPI_Error_string(rc, text, &len) != MPI_SUCCESS) {
        snprintf(text, sizeof text, "MPI error %d", rc);
    } else {
        text[len < MPI_MAX_ERROR_STRING ? len : MPI_MAX_ERROR_STRING - 1] = '\0';
    }
    MPI_Error_class(rc, &cls);
    char message[MPI_MAX_ERROR_STRING + 128];
    snprintf(message, sizeof message, "%s failed: %s (MPI error class %d)", call, text, cls);
    throw_message(env, message, cls);
    return 1;
}

static void throw_oom(JNIEnv *env, const char *what) {
    if ((*env)->ExceptionCheck(env)) return;
    jclass c = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (c != NULL) (*env)->ThrowNew(env, c, what);
}

/* A native buffer of at least n bytes for this thread; *owned = 1 means free it after use. */
static void *scratch_get(size_t n, int *owned) {
    *owned = 0;
    if (n == 0) n = 1;
    if (n > SCRATCH_KEEP) {
        *owned = 1;
        return malloc(n);
    }
    scratch_t *s = (scratch_t *)pthread_getspecific(scratch_key);
    if (s == NULL) {
        s = (scratch_t *)calloc(1, sizeof *s);
        if (s == NULL) return NULL;
        if (pthread_setspecific(scratch_key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    if (s->cap < n) {
        size_t cap = s->cap < 4096 ? 4096 : s->cap;
        while (cap < n) cap *= 2;
        if (cap > SCRATCH_KEEP) cap = SCRATCH_KEEP;
        free(s->p);
        s->p = malloc(cap);
        s->cap = s->p == NULL ? 0 : cap;
    }
    return s->p;
}

static void scratch_put(void *p, int owned) {
    if (owned) free(p);
}

static void *direct_address(JNIEnv *env, jobject buffer) {
    void *p = (*env)->GetDirectBufferAddress(env, buffer);
    if (p == NULL) throw_message(env, "not a direct buffer (or JNI cannot access its address)", -1);
    return p;
}

/* ------------------------------------------------------------------------------ life cycle */

static jint thread_level(int provided) {
    if (provided == MPI_THREAD_MULTIPLE) return 3;
    if (provided == MPI_THREAD_SERIALIZED) return 2;
    if (provided == MPI_THREAD_FUNNELED) return 1;
    return 0;
}

JNIEXPORT jintArray JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nConstants(JNIEnv *env, jclass cls) {
    (void)cls;
    jint values[2] = {MPI_ANY_SOURCE, MPI_ANY_TAG};
    jintArray a = (*env)->NewIntArray(env, 2);
    if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, 2, values);
    return a;
}

JNIEXPORT jint JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nInitThread(JNIEnv *env, jclass cls) {
    (void)cls;
    int initialized = 0, finalized = 0, provided = MPI_THREAD_SINGLE;
    MPI_Finalized(&finalized);
    if (finalized) {
        throw_message(env, "MPI was finalized and cannot be initialized again", -1);
        return 0;
    }
    MPI_Initialized(&initialized);
    if (initialized) {
        if (check(env, MPI_Query_thread(&provided), "MPI_Query_thread")) return 0;
    } else {
        /* errors of MPI_Init_thread itself go to MPI_ERRORS_ARE_FATAL (nothing to attach yet) */
        if (check(env, MPI_Init_thread(NULL, NULL, MPI_THREAD_MULTIPLE, &provided),
                  "MPI_Init_thread"))
            return 0;
    }
    if (check(env, MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN),
              "MPI_Comm_set_errhandler"))
        return 0;
    return thread_level(provided);
}

JNIEXPORT jboolean JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nInitialized(JNIEnv *env, jclass cls) {
    (void)env; (void)cls;
    int flag = 0;
    MPI_Initialized(&flag);
    return flag ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nFinalized(JNIEnv *env, jclass cls) {
    (void)env; (void)cls;
    int flag = 0;
    MPI_Finalized(&flag);
    return flag ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jint JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nRank(JNIEnv *env, jclass cls) {
    (void)cls;
    int r = -1;
    check(env, MPI_Comm_rank(MPI_COMM_WORLD, &r), "MPI_Comm_rank");
    return r;
}

JNIEXPORT jint JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nSize(JNIEnv *env, jclass cls) {
    (void)cls;
    int s = -1;
    check(env, MPI_Comm_size(MPI_COMM_WORLD, &s), "MPI_Comm_size");
    return s;
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nBarrier(JNIEnv *env, jclass cls) {
    (void)cls;
    check(env, MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nAbort(JNIEnv *env, jclass cls, jint code) {
    (void)env; (void)cls;
    fflush(stdout);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, code);
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nFinalize(JNIEnv *env, jclass cls) {
    (void)cls;
    check(env, MPI_Finalize(), "MPI_Finalize");
}

/* ------------------------------------------------------------------------------ point to point */

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nSendBytes(JNIEnv *env, jclass cls,
        jbyteArray b, jint off, jint len, jint dest, jint tag) {
    (void)cls;
    jbyte *p = (jbyte *)(*env)->GetPrimitiveArrayCritical(env, b, NULL);
    if (p == NULL) { throw_oom(env, "GetPrimitiveArrayCritical"); return; }
    int rc = MPI_Send(p + off, len, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
    (*env)->ReleasePrimitiveArrayCritical(env, b, p, JNI_ABORT);
    check(env, rc, "MPI_Send");
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nSendDoubles(JNIEnv *env, jclass cls,
        jdoubleArray d, jint off, jint len, jint dest, jint tag) {
    (void)cls;
    jdouble *p = (jdouble *)(*env)->GetPrimitiveArrayCritical(env, d, NULL);
    if (p == NULL) { throw_oom(env, "GetPrimitiveArrayCritical"); return; }
    int rc = MPI_Send(p + off, len, MPI_DOUBLE, dest, tag, MPI_COMM_WORLD);
    (*env)->ReleasePrimitiveArrayCritical(env, d, p, JNI_ABORT);
    check(env, rc, "MPI_Send");
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nSendDirect(JNIEnv *env, jclass cls,
        jobject buffer, jint len, jint dest, jint tag) {
    (void)cls;
    void *p = direct_address(env, buffer);
    if (p == NULL) return;
    check(env, MPI_Send(p, len, MPI_BYTE, dest, tag, MPI_COMM_WORLD), "MPI_Send");
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nProbe(JNIEnv *env, jclass cls,
        jint source, jint tag, jintArray status) {
    (void)cls;
    MPI_Status st;
    int count = 0;
    if (check(env, MPI_Probe(source, tag, MPI_COMM_WORLD, &st), "MPI_Probe")) return;
    if (check(env, MPI_Get_count(&st, MPI_BYTE, &count), "MPI_Get_count")) return;
    jint values[3] = {st.MPI_SOURCE, st.MPI_TAG, count};
    (*env)->SetIntArrayRegion(env, status, 0, 3, values);
}

JNIEXPORT jboolean JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nIprobe(JNIEnv *env, jclass cls,
        jint source, jint tag, jintArray status) {
    (void)cls;
    MPI_Status st;
    int flag = 0, count = 0;
    if (check(env, MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe"))
        return JNI_FALSE;
    if (!flag) return JNI_FALSE;
    if (check(env, MPI_Get_count(&st, MPI_BYTE, &count), "MPI_Get_count")) return JNI_FALSE;
    jint values[3] = {st.MPI_SOURCE, st.MPI_TAG, count};
    (*env)->SetIntArrayRegion(env, status, 0, 3, values);
    return JNI_TRUE;
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nPreciseSleeps(JNIEnv *env, jclass cls) {
    (void)env; (void)cls;
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
}

/* Nanoseconds of CLOCK_MONOTONIC. */
static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static __thread int slack_set;

/* Waits for a message like MPI_Probe, but politely: MPI_Iprobe in a tight loop for spin_ns (a
 * yielding loop measured much worse: the core goes to whoever runs next, for a whole time slice),
 * then sleeps between probes, 1 us at first, doubling up to max_sleep_ns. Open MPI's
 * blocking calls poll without ever giving the core away, which on a machine with as many ranks
 * and threads as cores starves the threads that do the work. The thread's timer slack is set to
 * 1 us so that short sleeps are short. */
JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nWaitProbe(JNIEnv *env, jclass cls,
        jint source, jint tag, jlong spin_ns, jlong max_sleep_ns, jintArray status) {
    (void)cls;
    MPI_Status st;
    int flag = 0, count = 0;
    if (!slack_set) {
        prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
        slack_set = 1;
    }
    long long start = now_ns();
    long long sleep = 1000;
    for (;;) {
        if (check(env, MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe")) return;
        if (flag) break;
        if (now_ns() - start < spin_ns) continue; /* spin: MPI_Iprobe drives progress */
        struct timespec t = {(time_t)(sleep / 1000000000LL), (long)(sleep % 1000000000LL)};
        nanosleep(&t, NULL);
        if (sleep < max_sleep_ns) {
            sleep *= 2;
            if (sleep > max_sleep_ns) sleep = max_sleep_ns;
        }
    }
    if (check(env, MPI_Get_count(&st, MPI_BYTE, &count), "MPI_Get_count")) return;
    jint values[3] = {st.MPI_SOURCE, st.MPI_TAG, count};
    (*env)->SetIntArrayRegion(env, status, 0, 3, values);
}

/* Receives up to len elements of type t (elem bytes each) into scratch; returns the count or -1. */
static jint recv_scratch(JNIEnv *env, void **buf, int *owned, jint len, MPI_Datatype t,
                         size_t elem, jint source, jint tag) {
    *buf = scratch_get((size_t)len * elem, owned);
    if (*buf == NULL) { throw_oom(env, "jmor-mpi receive buffer"); return -1; }
    MPI_Status st;
    int count = 0;
    if (check(env, MPI_Recv(*buf, len, t, source, tag, MPI_COMM_WORLD, &st), "MPI_Recv")
        || check(env, MPI_Get_count(&st, t, &count), "MPI_Get_count")) {
        scratch_put(*buf, *owned);
        return -1;
    }
    return count;
}

JNIEXPORT jint JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nRecvBytes(JNIEnv *env, jclass cls,
        jbyteArray b, jint off, jint len, jint source, jint tag) {
    (void)cls;
    void *buf;
    int owned;
    jint count = recv_scratch(env, &buf, &owned, len, MPI_BYTE, 1, source, tag);
    if (count < 0) return -1;
    (*env)->SetByteArrayRegion(env, b, off, count, (const jbyte *)buf);
    scratch_put(buf, owned);
    return count;
}

JNIEXPORT jint JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nRecvDoubles(JNIEnv *env, jclass cls,
        jdoubleArray d, jint off, jint len, jint source, jint tag) {
    (void)cls;
    void *buf;
    int owned;
    jint count = recv_scratch(env, &buf, &owned, len, MPI_DOUBLE, sizeof(jdouble), source, tag);
    if (count < 0) return -1;
    (*env)->SetDoubleArrayRegion(env, d, off, count, (const jdouble *)buf);
    scratch_put(buf, owned);
    return count;
}

JNIEXPORT jint JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nRecvDirect(JNIEnv *env, jclass cls,
        jobject buffer, jint len, jint source, jint tag) {
    (void)cls;
    void *p = direct_address(env, buffer);
    if (p == NULL) return -1;
    MPI_Status st;
    int count = 0;
    if (check(env, MPI_Recv(p, len, MPI_BYTE, source, tag, MPI_COMM_WORLD, &st), "MPI_Recv"))
        return -1;
    if (check(env, MPI_Get_count(&st, MPI_BYTE, &count), "MPI_Get_count")) return -1;
    return count;
}

/*
 * Pinned receives (ranks >= 1 only, for parts whose control message has arrived, so that the data
 * is already on its way): MPI writes straight into the Java array held with
 * GetPrimitiveArrayCritical. No JNI call happens between Get and Release; errors are raised after.
 */
static jint recv_pinned(JNIEnv *env, jarray a, jint off, jint len, MPI_Datatype t, size_t elem,
                        jint source, jint tag) {
    char *p = (char *)(*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (p == NULL) { throw_oom(env, "GetPrimitiveArrayCritical"); return -1; }
    MPI_Status st;
    int count = 0;
    int rc = MPI_Recv(p + (size_t)off * elem, len, t, source, tag, MPI_COMM_WORLD, &st);
    int rc2 = rc == MPI_SUCCESS ? MPI_Get_count(&st, t, &count) : MPI_SUCCESS;
    (*env)->ReleasePrimitiveArrayCritical(env, a, p, 0);
    if (check(env, rc, "MPI_Recv") || check(env, rc2, "MPI_Get_count")) return -1;
    return count;
}

JNIEXPORT jint JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nRecvBytesPinned(JNIEnv *env, jclass cls,
        jbyteArray b, jint off, jint len, jint source, jint tag) {
    (void)cls;
    return recv_pinned(env, b, off, len, MPI_BYTE, 1, source, tag);
}

JNIEXPORT jint JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nRecvDoublesPinned(JNIEnv *env, jclass cls,
        jdoubleArray d, jint off, jint len, jint source, jint tag) {
    (void)cls;
    return recv_pinned(env, d, off, len, MPI_DOUBLE, sizeof(jdouble), source, tag);
}

/* Every broadcast of the library is an MPI_Ibcast completed by MPI_Wait: a non-blocking collective
 * matches only non-blocking ones, and the root overlaps a copy with its broadcast
 * (nBcastDoublesCopy). Same semantics as MPI_Bcast. */
static int bcast_nb(void *buf, int count, MPI_Datatype t, int root) {
    MPI_Request r;
    int rc = MPI_Ibcast(buf, count, t, root, MPI_COMM_WORLD, &r);
    if (rc != MPI_SUCCESS) return rc;
    return MPI_Wait(&r, MPI_STATUS_IGNORE);
}

static void bcast_pinned(JNIEnv *env, jarray a, jint off, jint len, MPI_Datatype t, size_t elem,
                         jint root) {
    char *p = (char *)(*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (p == NULL) { throw_oom(env, "GetPrimitiveArrayCritical"); return; }
    int rc = bcast_nb(p + (size_t)off * elem, len, t, root);
    (*env)->ReleasePrimitiveArrayCritical(env, a, p, 0);
    check(env, rc, "MPI_Bcast");
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nBcastBytesPinned(JNIEnv *env, jclass cls,
        jbyteArray b, jint off, jint len, jint root) {
    (void)cls;
    bcast_pinned(env, b, off, len, MPI_BYTE, 1, root);
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nBcastDoublesPinned(JNIEnv *env, jclass cls,
        jdoubleArray d, jint off, jint len, jint root) {
    (void)cls;
    bcast_pinned(env, d, off, len, MPI_DOUBLE, sizeof(jdouble), root);
}

/* ------------------------------------------------------------------------------ collectives */

static int my_rank(void) {
    int r = -1;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nBcastBytes(JNIEnv *env, jclass cls,
        jbyteArray b, jint off, jint len, jint root) {
    (void)cls;
    if (my_rank() == root) {
        jbyte *p = (jbyte *)(*env)->GetPrimitiveArrayCritical(env, b, NULL);
        if (p == NULL) { throw_oom(env, "GetPrimitiveArrayCritical"); return; }
        int rc = bcast_nb(p + off, len, MPI_BYTE, root);
        (*env)->ReleasePrimitiveArrayCritical(env, b, p, JNI_ABORT);
        check(env, rc, "MPI_Bcast");
    } else {
        int owned;
        void *buf = scratch_get((size_t)len, &owned);
        if (buf == NULL) { throw_oom(env, "jmor-mpi receive buffer"); return; }
        int rc = bcast_nb(buf, len, MPI_BYTE, root);
        if (!check(env, rc, "MPI_Bcast"))
            (*env)->SetByteArrayRegion(env, b, off, len, (const jbyte *)buf);
        scratch_put(buf, owned);
    }
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nBcastDoubles(JNIEnv *env, jclass cls,
        jdoubleArray d, jint off, jint len, jint root) {
    (void)cls;
    if (my_rank() == root) {
        jdouble *p = (jdouble *)(*env)->GetPrimitiveArrayCritical(env, d, NULL);
        if (p == NULL) { throw_oom(env, "GetPrimitiveArrayCritical"); return; }
        int rc = bcast_nb(p + off, len, MPI_DOUBLE, root);
        (*env)->ReleasePrimitiveArrayCritical(env, d, p, JNI_ABORT);
        check(env, rc, "MPI_Bcast");
    } else {
        int owned;
        void *buf = scratch_get((size_t)len * sizeof(jdouble), &owned);
        if (buf == NULL) { throw_oom(env, "jmor-mpi receive buffer"); return; }
        int rc = bcast_nb(buf, len, MPI_DOUBLE, root);
        if (!check(env, rc, "MPI_Bcast"))
            (*env)->SetDoubleArrayRegion(env, d, off, len, (const jdouble *)buf);
        scratch_put(buf, owned);
    }
}

/* How much the root copies between two MPI_Test calls in nBcastDoublesCopy. */
#define BCAST_COPY_CHUNK ((size_t)256 * 1024)

/* The root broadcasts src and copies it into dst while the other ranks receive it: both arrays
 * pinned, the copy between MPI_Ibcast and MPI_Wait. The copy goes in chunks with an MPI_Test after
 * each: a shared-memory transport without kernel assists moves a broadcast only while the root is
 * in MPI (it copies each fragment in), so the ranks receive while the root copies instead of after
 * it. */
JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nBcastDoublesCopy(JNIEnv *env, jclass cls,
        jdoubleArray src, jdoubleArray dst, jint len, jint root) {
    (void)cls;
    jdouble *p = (jdouble *)(*env)->GetPrimitiveArrayCritical(env, src, NULL);
    if (p == NULL) { throw_oom(env, "GetPrimitiveArrayCritical"); return; }
    jdouble *q = (jdouble *)(*env)->GetPrimitiveArrayCritical(env, dst, NULL);
    if (q == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, src, p, JNI_ABORT);
        throw_oom(env, "GetPrimitiveArrayCritical");
        return;
    }
    MPI_Request r;
    int rc = MPI_Ibcast(p, len, MPI_DOUBLE, root, MPI_COMM_WORLD, &r);
    if (rc == MPI_SUCCESS) {
        size_t total = (size_t)len * sizeof(jdouble), done = 0;
        int flag = 0;
        while (done < total) {
            size_t n = total - done < BCAST_COPY_CHUNK ? total - done : BCAST_COPY_CHUNK;
            memcpy((char *)q + done, (const char *)p + done, n);
            done += n;
            if (!flag && rc == MPI_SUCCESS) rc = MPI_Test(&r, &flag, MPI_STATUS_IGNORE);
        }
        if (rc == MPI_SUCCESS && !flag) rc = MPI_Wait(&r, MPI_STATUS_IGNORE);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, dst, q, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, src, p, JNI_ABORT);
    check(env, rc, "MPI_Bcast");
}

JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nBcastDirect(JNIEnv *env, jclass cls,
        jobject buffer, jint len, jint root) {
    (void)cls;
    void *p = direct_address(env, buffer);
    if (p == NULL) return;
    check(env, bcast_nb(p, len, MPI_BYTE, root), "MPI_Bcast");
}

/* Copies an int[] of n elements into malloc'd memory (NULL with an exception pending on failure). */
static int *int_array(JNIEnv *env, jintArray a, int n) {
    int *p = (int *)malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    if (p == NULL) { throw_oom(env, "jmor-mpi counts"); return NULL; }
    (*env)->GetIntArrayRegion(env, a, 0, n, (jint *)p);
    if ((*env)->ExceptionCheck(env)) { free(p); return NULL; }
    return p;
}

/* The root pins its send buffer (it only sends, apart from its own slice); every rank receives
 * its slice into scratch memory and copies it into recv. */
JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nScatterv(JNIEnv *env, jclass cls,
        jbyteArray send, jintArray counts, jintArray displs, jbyteArray recv, jint recv_len,
        jint root) {
    (void)cls;
    int rank = my_rank(), size = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *c = NULL, *d = NULL;
    if (rank == root) {
        c = int_array(env, counts, size);
        if (c == NULL) return;
        d = int_array(env, displs, size);
        if (d == NULL) { free(c); return; }
    }
    int owned;
    void *buf = scratch_get((size_t)recv_len, &owned);
    if (buf == NULL) { free(c); free(d); throw_oom(env, "jmor-mpi receive buffer"); return; }
    int rc;
    if (rank == root) {
        jbyte *s = (jbyte *)(*env)->GetPrimitiveArrayCritical(env, send, NULL);
        if (s == NULL) {
            free(c); free(d); scratch_put(buf, owned);
            throw_oom(env, "GetPrimitiveArrayCritical");
            return;
        }
        rc = MPI_Scatterv(s, c, d, MPI_BYTE, buf, recv_len, MPI_BYTE, root, MPI_COMM_WORLD);
        (*env)->ReleasePrimitiveArrayCritical(env, send, s, JNI_ABORT);
    } else {
        rc = MPI_Scatterv(NULL, NULL, NULL, MPI_BYTE, buf, recv_len, MPI_BYTE, root,
                          MPI_COMM_WORLD);
    }
    free(c);
    free(d);
    if (!check(env, rc, "MPI_Scatterv") && recv_len > 0)
        (*env)->SetByteArrayRegion(env, recv, 0, recv_len, (const jbyte *)buf);
    scratch_put(buf, owned);
}

/* Non-root ranks only send and pin their send buffer; the root receives, so it copies its own
 * contribution to native memory and receives into native memory, holding no critical region. */
JNIEXPORT void JNICALL Java_org_jmor_parallel_mpi_jni_Mpi_nGatherv(JNIEnv *env, jclass cls,
        jbyteArray send, jint len, jbyteArray recv, jintArray counts, jintArray displs,
        jint root) {
    (void)cls;
    int rank = my_rank(), size = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int rc;
    if (rank != root) {
        jbyte *s = (jbyte *)(*env)->GetPrimitiveArrayCritical(env, send, NULL);
        if (s == NULL) { throw_oom(env, "GetPrimitiveArrayCritical"); return; }
        rc = MPI_Gatherv(s, len, MPI_BYTE, NULL, NULL, NULL, MPI_BYTE, root, MPI_COMM_WORLD);
        (*env)->ReleasePrimitiveArrayCritical(env, send, s, JNI_ABORT);
        check(env, rc, "MPI_Gatherv");
        return;
    }
    int *c = int_array(env, counts, size);
    if (c == NULL) return;
    int *d = int_array(env, displs, size);
    if (d == NULL) { free(c); return; }
    jsize total = (*env)->GetArrayLength(env, recv);
    void *own = malloc((size_t)(len > 0 ? len : 1));
    int owned;
    void *buf = scratch_get((size_t)total, &owned);
    if (own == NULL || buf == NULL) {
        free(c); free(d); free(own); if (buf != NULL) scratch_put(buf, owned);
        throw_oom(env, "jmor-mpi gather buffer");
        return;
    }
    (*env)->GetByteArrayRegion(env, send, 0, len, (jbyte *)own);
    rc = MPI_Gatherv(own, len, MPI_BYTE, buf, c, d, MPI_BYTE, root, MPI_COMM_WORLD);
    if (!check(env, rc, "MPI_Gatherv")) {
        /* copy back only the slices, leaving the rest of recv untouched */
        for (int i = 0; i < size; i++) {
            if (c[i] > 0)
                (*env)->SetByteArrayRegion(env, recv, d[i], c[i], (const jbyte *)buf + d[i]);
        }
    }
    free(c);
    free(d);
    free(own);
    scratch_put(buf, owned);
}
