// The one main() shared by all pipeline unit tests.
#include <gmock/gmock.h>

int main(int argc, char **argv)
{
	testing::InitGoogleMock(&argc, argv);
	return RUN_ALL_TESTS();
}
