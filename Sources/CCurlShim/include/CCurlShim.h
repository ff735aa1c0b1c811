#ifndef NGROKCTL_CCURLSHIM_H
#define NGROKCTL_CCURLSHIM_H
#include <curl/curl.h>

/* curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are variadic: typed wrappers. */
CURLcode ngrokctl_curl_set_long(CURL *handle, CURLoption option, long value);
CURLcode ngrokctl_curl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode ngrokctl_curl_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ngrokctl_curl_set_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ngrokctl_curl_set_write_callback(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode ngrokctl_curl_set_header_callback(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode ngrokctl_curl_get_long(CURL *handle, CURLINFO info, long *value);
CURLcode ngrokctl_curl_get_string(CURL *handle, CURLINFO info, char **value);
CURLcode ngrokctl_curl_get_pointer(CURL *handle, CURLINFO info, void **value);
CURLMcode ngrokctl_curl_multi_set_long(CURLM *multi, CURLMoption option, long value);
/* CURLMsg's `data` is a union: read it in C. */
int ngrokctl_curl_msg_is_done(const CURLMsg *msg);
CURLcode ngrokctl_curl_msg_result(const CURLMsg *msg);
#endif
