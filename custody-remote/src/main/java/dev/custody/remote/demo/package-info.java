/** The demo objects served by {@link dev.custody.remote.ServerMain}. */
package dev.custody.remote.demo;
