/**
 * The seed's native "game" library (C, built with gcc by the build) and its Java side:
 * {@link dev.custody.game.Game}, with its own allocator and path table, for the
 * {@code recordings} scenario's hand-offs between the game's heap and the host's.
 */
package dev.custody.game;
