/*
 * Hidden helper of task 16: a stand-in for an older zlib. Preloaded (LD_PRELOAD) into a Python
 * process, its zlibVersion() is found before the real libz's, so an extension that asks which
 * zlib it is running against hears "1.2.13" while everything else still comes from the real
 * library. A binding that pins its zlib must refuse to import.
 */
const char *zlibVersion(void)
{
    return "1.2.13";
}
