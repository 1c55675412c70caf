{
  "targets": [
    {
      "target_name": "srtp_native",
      "sources": ["native/srtp_native.c"],
      "cflags": ["-O2", "-Wall", "-Wno-deprecated-declarations"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2", "-Wno-deprecated-declarations"] }
    }
  ]
}
