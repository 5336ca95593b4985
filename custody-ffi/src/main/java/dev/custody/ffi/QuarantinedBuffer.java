package dev.custody.ffi;

/**
 * A malformed response buffer that the host refused to read or free.
 *
 * @param function the function that returned it, such as {@code plugin_call("echo")}
 * @param structName {@code FfiBuffer} or {@code RbResponse}
 * @param data the data pointer as returned
 * @param len the length as returned (unsigned; shown as returned)
 * @param capacity the capacity as returned
 * @param errorCode the error code as returned
 * @param defect what is wrong with it
 * @param thread the thread that received it
 */
public record QuarantinedBuffer(String function, String structName, long data, long len, long capacity,
                                int errorCode, String defect, String thread) {
    @Override
    public String toString() {
        return structName + " {data=0x" + Long.toHexString(data) + ", len=" + Long.toUnsignedString(len)
                + ", capacity=" + Long.toUnsignedString(capacity) + ", error_code=" + errorCode + "} from "
                + function + " on " + thread + ": " + defect;
    }
}
