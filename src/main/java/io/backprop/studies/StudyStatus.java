package io.backprop.studies;

/** A study's lifecycle: it runs until every trial has ended, or until it is cancelled. */
enum StudyStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    boolean terminal() {
        return this != RUNNING;
    }
}
