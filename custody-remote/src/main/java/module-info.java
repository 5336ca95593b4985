/**
 * Objects pinned in another process, released in batches, with leases, over gRPC.
 *
 * <p>grpc-java and protobuf ship as automatic modules. The transport (grpc-netty-shaded) is found
 * at run time through grpc's provider lookup and is not required here: its jar carries the
 * module descriptor of a shaded netty-tcnative, so on the module path it would shadow the whole
 * jar. Keep grpc-netty-shaded on the class path; the rest may be on the module path (checked:
 * {@code java -p <this module, grpc, protobuf, guava> -cp grpc-netty-shaded.jar -m
 * dev.custody.remote/dev.custody.remote.ServerMain}). The tests run everything on the class path.
 */
module dev.custody.remote {
    requires transitive dev.custody;
    requires java.logging;
    requires java.management;
    requires io.grpc;
    requires io.grpc.stub;
    requires io.grpc.protobuf;
    requires com.google.protobuf;
    requires com.google.common;

    exports dev.custody.remote;
}
