package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java layouts of FfiBuffer and RbResponse against the C header, as gcc lays it out. */
class AbiLayoutTest {

    @Test
    void structSizesAndOffsetsMatchTheHeader() {
        long[] c = ReferencePlugin.abiLayout();
        long[] java = {
                Abi.FFI_BUFFER.byteSize(), Abi.FB_DATA, Abi.FB_LEN, Abi.FB_CAPACITY, Abi.FB_ERROR_CODE,
                Abi.RB_RESPONSE.byteSize(), Abi.RB_ERROR_CODE, Abi.RB_LEN, Abi.RB_CAPACITY, Abi.RB_DATA};
        assertThat(java).containsExactly(c);
        assertThat(c[0]).as("sizeof(FfiBuffer)").isEqualTo(32);
        assertThat(c[5]).as("sizeof(RbResponse)").isEqualTo(24);
    }
}
