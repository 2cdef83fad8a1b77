package io.backprop.jobs;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** This process among the instances sharing the database: host and pid, as db-scheduler's picked_by. */
record InstanceName(String value) {

    /** The host part of {@code host:pid}. */
    String host() {
        return value.substring(0, value.lastIndexOf(':'));
    }

    static InstanceName ofThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return new InstanceName(host + ":" + ManagementFactory.getRuntimeMXBean().getPid());
    }
}
