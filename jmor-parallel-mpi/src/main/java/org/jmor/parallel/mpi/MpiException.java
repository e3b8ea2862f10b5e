package org.jmor.parallel.mpi;

/**
 * An MPI call failed, or MPI cannot be used (the shim is missing, MPI is not initialized or was
 * finalized). For a failed MPI call the message carries the MPI error string and {@link
 * #errorClass()} the MPI error class; otherwise {@link #errorClass()} is -1.
 */
public class MpiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The MPI error class, or -1. */
  private final int errorClass;

  /**
   * An error that did not come from an MPI call.
   *
   * @param message what went wrong
   */
  public MpiException(String message) {
    this(message, -1);
  }

  /**
   * An error returned by an MPI call (constructed by the shim).
   *
   * @param message the failed call and the MPI error string
   * @param errorClass the MPI error class ({@code MPI_Error_class}) of the returned code
   */
  public MpiException(String message, int errorClass) {
    super(message);
    this.errorClass = errorClass;
  }

  /**
   * @return the MPI error class of the failed call, or -1 if the error did not come from MPI
   */
  public int errorClass() {
    return errorClass;
  }
}
