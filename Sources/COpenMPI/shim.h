#include <mpi.h>

// Open MPI defines its handles as macros over addresses of global objects, which Swift cannot
// import: these functions name them.
static inline MPI_Comm gankit_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype gankit_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Status *gankit_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Request gankit_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Errhandler gankit_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
