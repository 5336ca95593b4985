/** A native game library with its own allocator and path table: the recordings seed, made real. */
module dev.custody.game {
    requires transitive dev.custody;

    exports dev.custody.game;
}
