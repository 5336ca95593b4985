/** Objects pinned in another process, released in batches, with leases. */
module dev.custody.remote {
    requires transitive dev.custody;

}
