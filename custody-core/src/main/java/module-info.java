module dev.custody {
    exports dev.custody;
}
