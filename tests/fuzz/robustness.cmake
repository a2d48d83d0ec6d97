# Untrusted input of the webhook beyond review bodies: manifests piped into `inject`, and the
# API server's watch streams.
jk_fuzz(inject_fuzz ${CMAKE_CURRENT_LIST_DIR}/inject_fuzz.cpp jk_cli_inject)
jk_fuzz(watch_event_fuzz ${CMAKE_CURRENT_LIST_DIR}/watch_event_fuzz.cpp jk_inventory jk_kube_client)
