package org.jmor.rb.algorithms;

import java.io.Serializable;

/**
 * A training parameter together with its index in the training set, the element type of the
 * scattered training set (so that each worker can report global indices whatever the split).
 */
record TrainingPoint(int index, double[] mu) implements Serializable {}
