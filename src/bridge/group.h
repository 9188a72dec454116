/*
** group.h: zb_group, a table-valued function that groups and aggregates
** a scan by hashing (the table compiler's path for the plain verbs).
*/
#ifndef ZB_GROUP_H
#define ZB_GROUP_H

#include <sqlite3.h>

/* Create the zb_group module on db. */
int group_register(sqlite3 *db);

#endif
