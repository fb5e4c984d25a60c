// header_alone.cc - newsgrep.h compiles on its own as C++11 too, with
// -pedantic -Werror, and its declarations have C linkage.  Built, never run.
#include <newsgrep.h>

extern "C" newsgrep_status_t header_alone_cxx(void);

newsgrep_status_t header_alone_cxx(void)
{
	newsgrep_db_t *db = nullptr;
	return newsgrep_db_open(&db, "", NEWSGREP_DB_READ, nullptr);
}
