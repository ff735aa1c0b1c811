#include <git2.h>

/* git_libgit2_opts is variadic and unavailable in Swift: typed helpers. */
static inline int ngrokctl_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
static inline int ngrokctl_git_set_timeout_unused(void) { return 0; }
